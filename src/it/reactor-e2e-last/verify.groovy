import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def sha = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD SUCCESS')
    assert log.contains('Skipping heroku-pipeline:promote (heroku.promote.skip=true)')
    assert sim.apiRequests().count { it.is('POST', '/pipeline-promotions') } == 1 : 'the promotion app registered is not dropped'
    assert sim.currentRelease('foo-staging').commit() == sha
    int e2eTests = ItSupport.lineOf(log, 'RUNNING TESTS OF e2e')
    int promoted = ItSupport.lineOf(log, 'Promoting release')
    assert e2eTests > 0 && promoted > e2eTests : 'staging must not change before the e2e module is built'
} finally {
    sim.close()
}
return true
