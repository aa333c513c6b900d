import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD FAILURE')
    assert log.contains('No Heroku API key found')
    assert log.contains('HEROKU_API_KEY')
    assert log.contains('<id>no-such-server</id>')
    assert sim.requests().isEmpty() : sim.requests()
} finally {
    sim.close()
}
return true
