import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def sha = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
    def log = ItSupport.buildLog(basedir)
    def builds = sim.builds('foo-prepare')
    assert builds.size() == 1 : builds
    assert builds[0].version() == sha
    assert sim.apiRequests().count { it.is('POST', '/apps/foo-prepare/builds') } == 1
    assert sim.requests().count { it.method() == 'PUT' } == 1 : 'uploaded once'
    int prepared = ItSupport.lineOf(log, 'Preparing ' + sha.substring(0, 8) + ' on foo-prepare in the background')
    int tests = ItSupport.lineOf(log, 'RUNNING TESTS')
    assert prepared >= 0 && tests > prepared : 'prepare must start before the tests run'
    assert log.contains('Started build ' + builds[0].id())
    assert log.contains('is already running: reusing it') || log.contains('already succeeded: reusing it')
    assert new File(basedir, 'target/heroku-pipeline/prepare-foo-prepare.json').text.contains(builds[0].id())
} finally {
    sim.close()
}
return true
