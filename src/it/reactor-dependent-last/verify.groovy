import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def sha = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD SUCCESS')
    assert sim.apiRequests().count { it.is('POST', '/pipeline-promotions') } == 1
    assert sim.currentRelease('foo-staging').commit() == sha
    int distTests = ItSupport.lineOf(log, 'RUNNING TESTS OF dist')
    int promoted = ItSupport.lineOf(log, 'Promoting release')
    assert distTests > 0 && promoted > distTests : 'promote must run after the module that depends on the app'
    assert log.contains('heroku-pipeline:promote of foo-prepare -> foo-staging runs once every module of this build has finished; registered by web')
} finally {
    sim.close()
}
return true
