import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def commits = context.get('commits')
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD SUCCESS')
    // staging went c2 -> c3 and stayed there: the older runs left it alone
    def history = sim.releases('foo-staging').sort(false) { it.version() }.collect { it.commit() }
    assert history == [commits[2], commits[3]] : history
    assert sim.currentRelease('foo-staging').commit() == commits[3]
    assert log.contains("but it is newer than ${commits[0].substring(0, 8)} by what its build recorded on Heroku")
    assert log.contains('foo-staging      skipped')
} finally {
    sim.close()
}
return true
