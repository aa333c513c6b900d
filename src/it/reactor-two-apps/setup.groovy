import io.github.herokupipeline.simulator.ItSupport

def sim = ItSupport.start(context, basedir)
sim.createStandardPipeline('lib')
sim.createStandardPipeline('web')
return true
