import io.github.herokupipeline.simulator.ItSupport

def sim = ItSupport.start(context, basedir)
def previous = 'abcdef01' * 5
sim.seedRelease('foo-production', previous)
sim.seedRelease('foo-production-eu', previous)
sim.webApp(context.get('sha'), 500, 'Internal Server Error', 0)
context.get('userProperties').setProperty('heroku.smokeUrl', sim.apiUrl() + '/web/{app}/health')
context.get('userProperties').setProperty('heroku.smokeTimeout', '3s')
return true
