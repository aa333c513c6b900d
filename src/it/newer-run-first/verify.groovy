import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def older = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
    def newer = context.get('newer')
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD SUCCESS')

    // run A prepared and waited for its own build, then left staging on run B's newer commit
    assert sim.builds('foo-prepare').any { it.version() == older }
    assert sim.currentRelease('foo-staging').commit() == newer : sim.currentRelease('foo-staging')
    assert log.contains("foo-staging already runs ${newer.substring(0, 8)}, 1 commit ahead of ${older.substring(0, 8)}: leaving it (heroku.onNewerCommit=skip)")
    assert log.contains('foo-staging      skipped')
    assert !sim.apiRequests().any { it.is('POST', '/pipeline-promotions') }
    assert new File(basedir, 'target/heroku-pipeline/promote-foo-prepare.json').text.contains('"outcome": "skipped"')
} finally {
    sim.close()
}
return true
