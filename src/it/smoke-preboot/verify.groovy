import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def sha = context.get('sha')
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD SUCCESS')
    assert log.contains('foo-staging has preboot on: the new release receives requests only some minutes after its'
            + ' dynos booted, and <smokeTimeout> (-Dheroku.smokeTimeout) 20s may run out before')
    assert log.contains('foo-staging: smoke check attempt 1: HTTP 200, but the body does not match /"commit":"{commit}"/'
            + ' ({commit}: ' + sha + ')') : 'the old release answered first'
    assert !log.contains('foo-staging: smoke check attempt 2:') : 'the same answer again is logged at debug level'
    assert log.contains('foo-staging: smoke check attempt 10: HTTP 200, but the body does not match')
    assert log =~ /foo-staging: smoke check passed \(.*, attempt \d+\)/
    assert sim.currentRelease('foo-staging').commit() == sha
} finally {
    sim.close()
}
return true
