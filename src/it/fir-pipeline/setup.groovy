import io.github.herokupipeline.simulator.ItSupport

ItSupport.start(context, basedir).useGeneration('foo', 'fir')
return true
