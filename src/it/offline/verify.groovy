import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD FAILURE')
    assert log.contains('heroku-pipeline:prepare needs the Heroku Platform API, but Maven is offline (-o)')
    assert sim.requests().isEmpty()
} finally {
    sim.close()
}
return true
