import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD FAILURE')
    // the first build: prepare is skipped with a warning, promote (which must ship) fails
    assert log.contains('Skipping heroku-pipeline:prepare: no Heroku API key')
    assert log.contains('No Heroku API key found')
    // the second, `mvn verify` as in a pull request from a fork: the tests run, nothing is prepared
    assert log.contains('BUILD SUCCESS')
    assert log.contains('HEROKU_API_KEY')
    assert log.contains('<id>no-such-server</id>')
    assert sim.requests().isEmpty() : sim.requests()
} finally {
    sim.close()
}
return true
