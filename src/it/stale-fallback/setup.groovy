import io.github.herokupipeline.simulator.ItSupport

def sim = ItSupport.start(context, basedir)
sim.startBuild('foo-prepare', 'd4e5f6a7' * 5)
return true
