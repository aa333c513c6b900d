import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
def proxy = context.get('proxy')
try {
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD SUCCESS')
    assert !log.contains('proxy-secret')
    // every request without the key goes through the proxy; the key never goes to it, since the simulator's API is
    // plain http on loopback (a real https API would be tunnelled through it, encrypted)
    def others = sim.requests().findAll { !it.authorized() }
    def api = sim.requests().findAll { it.authorized() }
    def relayed = proxy.relayed().collect { it.method() + ' ' + it.uri().path }
    assert !others.isEmpty() && !api.isEmpty()
    others.each { request ->
        assert relayed.contains(request.method() + ' ' + request.path()) : "${request.method()} ${request.path()} did not go through the proxy"
    }
    api.each { request ->
        assert !relayed.contains(request.method() + ' ' + request.path()) : "${request.method()} ${request.path()} took the key to the proxy"
    }
    assert relayed.size() == others.size()
    assert proxy.relayed().every { !it.carriedAuthorization() }
    assert relayed.any { it.startsWith('PUT /blobs/') }
    assert sim.currentRelease('foo-staging')?.commit() == context.get('sha')
} finally {
    proxy.close()
    sim.close()
}
return true
