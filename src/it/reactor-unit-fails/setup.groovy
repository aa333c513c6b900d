import io.github.herokupipeline.simulator.ItSupport

def sim = ItSupport.start(context, basedir)
sim.createStandardPipeline('lib')
sim.createStandardPipeline('web')
sim.faults().failPromotionTo('web-staging', 'Simulated: the app is locked by another deploy')
return true
