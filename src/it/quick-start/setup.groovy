import io.github.herokupipeline.simulator.ItSupport

def sim = ItSupport.start(context, basedir)
sim.webApp(context.get('sha'), 200, '{"status":"ok"}', 300)
context.get('userProperties').setProperty('heroku.smokeUrl', sim.apiUrl() + '/web/{app}/health')
return true
