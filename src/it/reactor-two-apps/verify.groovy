import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def sha = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD SUCCESS')

    ['lib', 'web'].each { app ->
        // prepared once, from its own module's files only; promoted, never built on the target
        def builds = sim.builds("${app}-prepare")
        assert builds.size() == 1 : "${app}-prepare: ${builds}"
        def entries = ItSupport.archiveEntries(sim.buildSource(builds[0].id()))
        assert entries.contains('pom.xml') && entries.contains('src/main/java/demo/App.java') : entries
        assert !entries.any { it.startsWith('lib/') || it.startsWith('web/') } : "${app}: ${entries}"
        assert sim.builds("${app}-staging").isEmpty()
        assert sim.currentRelease("${app}-staging")?.commit() == sha : "${app}-staging runs ${sim.currentRelease("${app}-staging")}"
        assert new File(basedir, "target/heroku-pipeline/prepare-${app}-prepare.json").isFile()
        assert new File(basedir, "target/heroku-pipeline/promote-${app}-prepare.json").text.contains('"success": true')
        assert log.contains("Heroku pipeline ${app}-prepare -> ${app}-staging: SUCCESS")
    }
    assert sim.apiRequests().count { it.is('POST', '/pipeline-promotions') } == 2

    // both promotions after the last module's tests
    int lastTests = ItSupport.lineOf(log, 'RUNNING TESTS OF web')
    int firstPromotion = ItSupport.lineOf(log, 'Promoting release')
    assert lastTests > 0 && firstPromotion > lastTests
    assert log.contains('heroku-pipeline:promote of lib-prepare -> lib-staging runs once every module of this build has finished; registered by lib')
} finally {
    sim.close()
}
return true
