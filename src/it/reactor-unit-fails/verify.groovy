import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def sha = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD FAILURE')
    assert sim.currentRelease('lib-staging')?.commit() == sha : 'lib is deployed although web fails'
    assert sim.currentRelease('web-staging') == null
    assert log.contains('Heroku pipeline lib-prepare -> lib-staging: SUCCESS')
    assert log.contains('Heroku pipeline web-prepare -> web-staging: FAILURE')
    assert log.contains('Deploy failed for 1 of 2 app(s):')
    assert log.contains('web-prepare -> web-staging (web): Deploy of ' + sha.substring(0, 8) + ' failed on 1 of 1 target app(s)')
    assert new File(basedir, 'target/heroku-pipeline/promote-web-prepare.json').text.contains('"success": false')
} finally {
    sim.close()
}
return true
