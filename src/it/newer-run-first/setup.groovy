import io.github.herokupipeline.simulator.ItSupport

def sim = ItSupport.start(context, basedir)
def clone = new File(basedir.parentFile, basedir.name + '-run-b')
def newer = ItSupport.newerCommitInAnotherClone(basedir, clone)
ItSupport.deployFrom(sim, clone, 'foo-staging')
assert sim.currentRelease('foo-staging').commit() == newer
context.put('newer', newer)
return true
