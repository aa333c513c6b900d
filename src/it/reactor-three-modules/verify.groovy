import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def sha = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD SUCCESS')
    assert sim.builds('foo-prepare').size() == 1
    assert sim.builds('bar-prepare').size() == 1
    def fooFiles = ItSupport.archiveEntries(sim.buildSource(sim.builds('foo-prepare')[0].id()))
    assert fooFiles.contains('api/pom.xml') && fooFiles.contains('worker/pom.xml') && fooFiles.contains('admin/pom.xml')
    def barFiles = ItSupport.archiveEntries(sim.buildSource(sim.builds('bar-prepare')[0].id()))
    assert barFiles.contains('pom.xml') && !barFiles.any { it.startsWith('api/') } : barFiles
    ['foo-staging', 'bar-staging'].each { app ->
        assert sim.builds(app).isEmpty()
        assert sim.currentRelease(app)?.commit() == sha : "$app runs ${sim.currentRelease(app)}"
    }
    def promotions = sim.apiRequests().findAll { it.is('POST', '/pipeline-promotions') }
    assert promotions.size() == 2 : promotions
    assert log.contains('heroku-pipeline:prepare of foo-prepare ran in ')
    int promoted = ItSupport.lineOf(log, 'Promoting release')
    ['api', 'worker', 'admin'].each { module ->
        assert promoted > ItSupport.lineOf(log, "RUNNING TESTS OF ${module}") : "promote must wait for ${module}'s tests"
    }
} finally {
    sim.close()
}
return true
