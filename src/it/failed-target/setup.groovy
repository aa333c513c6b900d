import io.github.herokupipeline.simulator.ItSupport

def sim = ItSupport.start(context, basedir)
sim.faults().failPromotionTo('foo-production-eu', 'Simulated: the app is locked by another deploy')
return true
