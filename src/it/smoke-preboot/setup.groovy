import io.github.herokupipeline.simulator.ItSupport

def sim = ItSupport.start(context, basedir)
sim.seedRelease('foo-staging', 'abcdef01' * 5)
sim.preboot('foo-staging', 2500)
context.get('userProperties').setProperty('heroku.smokeUrl', sim.apiUrl() + '/web/{app}/health')
context.get('userProperties').setProperty('heroku.smokeTimeout', '20s')
return true
