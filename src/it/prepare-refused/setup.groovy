import io.github.herokupipeline.simulator.ItSupport

ItSupport.start(context, basedir)
return true
