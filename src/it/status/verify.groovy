import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def deployed = context.get('deployed')
    def next = context.get('next')
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD SUCCESS')
    assert log.contains("Pipeline foo (cedar), HEAD ${next.substring(0, 8)} Add a changelog")
    def staging = log.readLines().find { it.contains(' foo-staging ') && it.contains('staging ') }
    assert staging != null && staging.contains(deployed.substring(0, 8)) && staging.contains('1 behind') : staging
    assert log.contains('foo-production ') && log.contains('foo-prepare (prepare)')
    assert log.contains('HEAD -> staging (foo-staging) would ship 1 commit:')
    assert log.contains("${next.substring(0, 8)}  Test  Add a changelog")
    assert new File(basedir, 'target/heroku-pipeline/status.json').text.contains('"pipeline": "foo"')
    assert sim.apiRequests().every { it.method() == 'GET' } : 'status must only read'
} finally {
    sim.close()
}
return true
