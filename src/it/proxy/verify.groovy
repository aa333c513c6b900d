import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
def proxy = context.get('proxy')
try {
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD SUCCESS')
    assert !log.contains('proxy-secret')
    def arrived = sim.requests()
    def relayed = proxy.relayed().collect { it.method() + ' ' + it.uri().path }
    assert !arrived.isEmpty()
    arrived.each { request ->
        assert relayed.contains(request.method() + ' ' + request.path()) : "${request.method()} ${request.path()} did not go through the proxy"
    }
    assert relayed.size() == arrived.size()
    assert relayed.any { it.startsWith('PUT /blobs/') } && relayed.any { it.startsWith('POST /pipeline-promotions') }
    assert sim.currentRelease('foo-staging')?.commit() == context.get('sha')
} finally {
    proxy.close()
    sim.close()
}
return true
