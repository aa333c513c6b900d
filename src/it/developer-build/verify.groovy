import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def log = ItSupport.buildLog(basedir)
    assert !log.contains('BUILD FAILURE') : 'a developer build must not fail for the plugin'
    assert log.count('BUILD SUCCESS') == 2 : 'both builds pass'
    assert log.count('Skipping heroku-pipeline:prepare: not a CI build') == 2
    assert !log.contains('heroku-pipeline:promote')
    assert sim.requests().isEmpty() : "a developer build sent ${sim.requests()}"
} finally {
    sim.close()
}
return true
