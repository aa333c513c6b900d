import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def sha = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD SUCCESS')

    // prepare ran at initialize, before compilation and the tests
    int prepare = ItSupport.lineOf(log, ':prepare (prepare) @ quick-start')
    int compile = ItSupport.lineOf(log, ':compile (default-compile) @ quick-start')
    int tests = ItSupport.lineOf(log, 'RUNNING TESTS OF quick-start')
    assert prepare >= 0 && compile > prepare && tests > compile

    // one build, on the prepare app; both targets run its release
    assert sim.builds('foo-prepare').size() == 1 : sim.builds('foo-prepare')
    ['foo-staging', 'foo-production'].each { app ->
        assert sim.builds(app).isEmpty() : "$app was built"
        assert sim.currentRelease(app)?.commit() == sha : "$app runs ${sim.currentRelease(app)}"
    }

    // staging first, checked, and only then production
    def requests = sim.requests()
    def promotions = requests.findIndexValues { it.is('POST', '/pipeline-promotions') }
    assert promotions.size() == 2 : promotions
    def stagingChecked = requests.findIndexOf { it.is('GET', '/web/foo-staging/health') }
    def productionChecked = requests.findIndexOf { it.is('GET', '/web/foo-production/health') }
    assert promotions[0] < stagingChecked && stagingChecked < promotions[1] && promotions[1] < productionChecked
    def staging = sim.appHandle('foo-staging').id()
    assert requests[promotions[0] as int].body().contains(staging)
    assert !requests[promotions[1] as int].body().contains(staging)
} finally {
    sim.close()
}
return true
