import io.github.herokupipeline.simulator.ItSupport

def sim = ItSupport.start(context, basedir)
sim.timing().buildMillis = 5000
return true
