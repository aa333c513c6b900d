import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD FAILURE')
    assert log.contains('COMPILATION ERROR') || log.contains('Compilation failure')
    assert sim.apiRequests().count { it.is('POST', '/pipeline-promotions') } == 0
    assert sim.builds('foo-staging').isEmpty()
    if (log.contains('registered by web')) {
        // web reached deploy before the build stopped: its promotion is named, not run
        assert log.contains('heroku-pipeline:promote did not run: a module of this build failed. Not deployed: foo-prepare -> foo-staging (registered by web)')
    }
} finally {
    sim.close()
}
return true
