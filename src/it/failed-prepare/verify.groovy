import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def log = ItSupport.buildLog(basedir)
    def build = sim.builds('foo-prepare')[0]
    assert build.status() == 'failed'
    assert log.contains('BUILD FAILURE')
    assert log.contains("The prepare build ${build.id()}")
    assert log.contains('COMPILATION ERROR : App.java:[3,8] cannot find symbol')
    assert sim.builds('foo-staging').isEmpty()
    assert sim.currentRelease('foo-staging') == null
} finally {
    sim.close()
}
return true
