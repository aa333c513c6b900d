import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def sha = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD SUCCESS')

    // one build on the prepare app, reused by the production run; nothing built on the targets
    assert sim.builds('foo-prepare').size() == 1 : sim.builds('foo-prepare')
    ['foo-staging', 'foo-production', 'foo-production-eu'].each { app ->
        assert sim.builds(app).isEmpty() : "$app was built"
        assert sim.currentRelease(app)?.commit() == sha : "$app runs ${sim.currentRelease(app)}"
    }

    // prepare at test-compile, before the tests; the promotion at deploy, after them
    def api = sim.apiRequests()
    int build = api.findIndexOf { it.is('POST', '/apps/foo-prepare/builds') }
    int promotion = api.findIndexOf { it.is('POST', '/pipeline-promotions') }
    assert build >= 0 && promotion > build
    assert api.count { it.is('POST', '/pipeline-promotions') } == 2
    assert api.findAll { it.is('POST', '/pipeline-promotions') }.every { it.body().contains('"release":{"id":') }
    assert !api.any { it.is('GET', '/apps/[^/]+/(builds|releases)') && it.header('Range') == null } : 'ordered lists need Range'
} finally {
    sim.close()
}
return true
