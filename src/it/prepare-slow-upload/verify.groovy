import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def sha = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
    def log = ItSupport.buildLog(basedir)
    def builds = sim.builds('foo-prepare')
    assert builds.size() == 1 && builds[0].version() == sha : builds

    // the tests ran while the upload was still going on
    int tests = ItSupport.lineOf(log, 'RUNNING TESTS OF prepare-slow-upload')
    int started = ItSupport.lineOf(log, 'Started build ' + builds[0].id())
    assert tests >= 0 && started > tests : 'the tests must not wait for the upload'

    // and Maven did not end before the build was created
    int waiting = ItSupport.lineOf(log, 'Waiting for the prepare of ' + sha.substring(0, 8) + ' on foo-prepare (upload and build creation) to finish before Maven exits')
    int success = ItSupport.lineOf(log, 'BUILD SUCCESS')
    assert waiting > tests && started > waiting && success > started
} finally {
    sim.close()
}
return true
