import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def sha = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD SUCCESS')
    assert !log.contains('BUILD FAILURE')

    // one build on the Fir prepare app; its image reaches every target by promotion, nothing is built there
    assert sim.builds('foo-prepare').size() == 1 : sim.builds('foo-prepare')
    ['foo-staging', 'foo-production', 'foo-production-eu'].each { app ->
        assert sim.builds(app).isEmpty() : "$app was built"
        assert sim.currentRelease(app)?.commit() == sha : "$app runs ${sim.currentRelease(app)}"
    }
    assert log.contains('generation       fir (OCI images)')
    assert log.contains(", image) to foo-staging")

    // the third run finds production on the commit already and changes nothing
    def api = sim.apiRequests()
    assert api.count { it.is('POST', '/pipeline-promotions') } == 2
    assert log.contains('foo-production already runs ' + sha.substring(0, 8))
    assert log.contains('decision         unchanged')

    // commits are read from OCI images; slug endpoints are never asked about a Fir app
    assert api.any { it.method() == 'GET' && it.path().contains('/oci-images/') }
    assert !api.any { it.path().contains('/slugs/') }
} finally {
    sim.close()
}
return true
