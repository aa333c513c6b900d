import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def sha = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD FAILURE')
    assert log.contains('foo-production-eu: failed - Simulated: the app is locked by another deploy')
    assert log.contains('Heroku pipeline foo-prepare -> foo-production, foo-production-eu: FAILURE')
    assert sim.currentRelease('foo-production').commit() == sha
    assert sim.currentRelease('foo-production-eu') == null
    assert new File(basedir, 'target/heroku-pipeline/promote-foo-prepare.json').text.contains('"success": false')
} finally {
    sim.close()
}
return true
