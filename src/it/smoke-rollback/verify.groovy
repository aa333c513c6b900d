import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def previous = 'abcdef01' * 5
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD FAILURE')
    assert log.contains('foo-production: smoke check attempt 1: HTTP 500')
    assert !log.contains('HTTP 500 Internal Server Error') : 'response bodies are logged at debug only'
    assert log.contains('foo-production: rolled back from v2 to v1 (abcdef01), new release v3 succeeded')
    assert log.contains('foo-production-eu: not attempted')
    assert sim.currentRelease('foo-production').commit() == previous : 'production must be back on its previous release'
    assert sim.currentRelease('foo-production').description() == 'Rollback to v1'
    assert sim.releases('foo-production-eu').size() == 1 : 'production-eu must not be touched'
} finally {
    sim.close()
}
return true
