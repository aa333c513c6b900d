import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def log = ItSupport.buildLog(basedir)
    def refused = "Heroku has no app 'foo-prepared' that this API key can see (<prepareApp> (-Dheroku.prepareApp))"

    // the first build, `mvn test`: the tests ran, then the build failed on the refusal, not on anything else
    int tests = ItSupport.lineOf(log, 'RUNNING TESTS OF prepare-refused')
    int warned = ItSupport.lineOf(log, refused)
    int failure = ItSupport.lineOf(log, 'BUILD FAILURE')
    assert tests >= 0 && warned >= 0 && failure > tests && failure > warned
    assert log.indexOf(refused, log.indexOf('BUILD FAILURE')) > 0 : 'the failure names the setting to fix'

    // the second, `mvn deploy -Pstaging`: promote fails with the same message and deploys nothing
    def second = log.substring(log.indexOf('BUILD FAILURE') + 1)
    assert second.contains('BUILD FAILURE')
    assert second.indexOf(refused, second.indexOf('BUILD FAILURE')) > 0
    assert !second.contains('promote goes on without it')

    assert !log.contains('InterruptedException') : 'a refused prepare stops its archive quietly'
    assert sim.builds('foo-prepare').isEmpty()
    assert sim.builds('foo-staging').isEmpty()
    assert sim.currentRelease('foo-staging') == null
    assert sim.requests().every { r -> r.method() == 'GET' || r.path() == '/sources' } : sim.requests()
} finally {
    sim.close()
}
return true
