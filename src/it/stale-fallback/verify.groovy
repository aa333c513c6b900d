import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def sha = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD SUCCESS')
    assert log.contains("The newest prepare build on foo-prepare is for d4e5f6a7, HEAD is ${sha.take(8)}: building ${sha.take(8)} on foo-staging")
    assert log.contains('[foo-staging] -----> Building')
    assert sim.builds('foo-staging').size() == 1
    assert sim.currentRelease('foo-staging').commit() == sha
    assert !sim.apiRequests().any { it.is('POST', '/pipeline-promotions') }
} finally {
    sim.close()
}
return true
