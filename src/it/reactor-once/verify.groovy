import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def sha = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD SUCCESS')
    assert sim.builds('foo-prepare').size() == 1
    assert sim.apiRequests().count { it.is('POST', '/pipeline-promotions') } == 1
    assert sim.currentRelease('foo-staging').commit() == sha
    int started = ItSupport.lineOf(log, 'Started build')
    int firstTests = ItSupport.lineOf(log, 'RUNNING TESTS OF module-a')
    int lastTests = Math.max(ItSupport.lineOf(log, 'RUNNING TESTS OF module-b'), firstTests)
    int promoted = ItSupport.lineOf(log, 'Promoting release')
    assert started >= 0 && firstTests > started
    assert lastTests > 0 && promoted > lastTests : 'promote must wait for the last module'
    assert promoted > firstTests
    assert log.contains('heroku-pipeline:prepare of foo-prepare ran in reactor-once already; nothing to do in module-a')
    assert log.contains('heroku-pipeline:promote of foo-prepare -> foo-staging runs once every module of this build has finished; registered by reactor-once')
} finally {
    sim.close()
}
return true
