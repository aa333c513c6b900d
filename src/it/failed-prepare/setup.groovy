import io.github.herokupipeline.simulator.HerokuSimulator.BuildScript
import io.github.herokupipeline.simulator.ItSupport

def sim = ItSupport.start(context, basedir)
sim.appHandle('foo-prepare').nextBuild(BuildScript.failing('[ERROR] COMPILATION ERROR : App.java:[3,8] cannot find symbol'))
return true
