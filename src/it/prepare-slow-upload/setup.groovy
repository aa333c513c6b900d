import io.github.herokupipeline.simulator.ItSupport

def sim = ItSupport.start(context, basedir)
sim.faults().delayNext('PUT', '/blobs/.*', 1, 8000) // longer than the tests take, even on a busy machine
return true
