import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def sha = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
    def log = ItSupport.buildLog(basedir)

    // the prepare app was made like production, and shipped the commit
    assert sim.placement('foo-prepare') == [null, null, 'eu', 'heroku-24', 'cedar']
    assert sim.couplingOf('foo-prepare') == 'foo/development'
    assert sim.buildpacks('foo-prepare') == ['heroku/nodejs', 'heroku/jvm']
    assert sim.config('foo-prepare').keySet() == ['IMAGEMAGICK_VERSION', 'MAVEN_CUSTOM_OPTS'] as Set
    assert sim.builds('foo-prepare').size() == 1
    ['foo-staging', 'foo-production'].each { app ->
        assert sim.builds(app).isEmpty() : "$app was built"
        assert sim.currentRelease(app)?.commit() == sha : "$app runs ${sim.currentRelease(app)}"
    }
    assert sim.formation('foo-prepare') == [web: 0]

    // setup's writes: four on the first run, one (web to 0) on the second, none on the third
    def setupWrites = sim.apiRequests().findAll { it.method() != 'GET' }
            .findAll { !(it.path() in ['/sources', '/pipeline-promotions']) && !it.path().endsWith('/builds') }
            .collect { it.method() + ' ' + it.path() }
    assert setupWrites == ['POST /apps', 'POST /pipeline-couplings', 'PUT /apps/foo-prepare/buildpack-installations',
                           'PATCH /apps/foo-prepare/config-vars', 'PATCH /apps/foo-prepare/formation'] : setupWrites
    assert log.contains('run setup again after the first deploy')
    assert log.contains('Dynos: scaled web=1 on foo-prepare to 0')
    assert log.contains('is set up like foo-production: nothing to change')

    // names only, never values
    ['im-7-value', '-Dopts-value', 'postgres://runtime-value'].each { assert !log.contains(it) }
} finally {
    sim.close()
}
return true
