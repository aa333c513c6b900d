import io.github.herokupipeline.simulator.ItSupport
import io.github.herokupipeline.testing.TestRepo

def sim = ItSupport.start(context, basedir)
ItSupport.deployFrom(sim, basedir, 'foo-staging')
def deployed = context.get('sha')
def next = TestRepo.open(basedir.toPath()).write('CHANGELOG.md', 'Next\n').commitAll('Add a changelog')
context.put('deployed', deployed)
context.put('next', next)
sim.clearRequests()
return true
