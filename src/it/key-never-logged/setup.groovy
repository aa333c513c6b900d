import io.github.herokupipeline.simulator.ItSupport

def sim = ItSupport.start(context, basedir)
sim.acceptKey('sentinel-key-5d1e8f0a9b')
return true
