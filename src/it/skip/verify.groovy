import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD SUCCESS')
    assert log.contains('Skipping heroku-pipeline:prepare (heroku.skip=true)')
    assert log.contains('Skipping heroku-pipeline:promote (heroku.skip=true)')
    assert sim.requests().isEmpty() : sim.requests()
} finally {
    sim.close()
}
return true
