import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD FAILURE')
    // prepare only warns (a developer's or a CI's `mvn -o verify` must pass); promote, which must ship, fails
    assert log.contains('Skipping heroku-pipeline:prepare: Maven is offline (-o)')
    assert log.contains('heroku-pipeline:promote needs the Heroku Platform API, but Maven is offline (-o)')
    assert sim.requests().isEmpty()
} finally {
    sim.close()
}
return true
