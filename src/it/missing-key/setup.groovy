import io.github.herokupipeline.simulator.ItSupport

ItSupport.start(context, basedir)
// a home without ~/.netrc, whatever the machine running the ITs has
def home = new File(basedir, 'home')
home.mkdirs()
context.get('userProperties').setProperty('user.home', home.path)
return true
