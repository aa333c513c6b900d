import io.github.herokupipeline.simulator.ItSupport

def sim = ItSupport.startWithoutPrepareApp(context, basedir)
sim.appHandle('foo-production').region('eu').buildpacks('heroku/nodejs', 'heroku/jvm')
        .config('IMAGEMAGICK_VERSION', 'im-7-value').config('MAVEN_CUSTOM_OPTS', '-Dopts-value')
        .config('DATABASE_URL', 'postgres://runtime-value')
sim.appHandle('foo-staging').buildpacks('heroku/nodejs', 'heroku/jvm')
sim.webApp(context.get('sha'), 200, '{"status":"ok"}', 0)
context.get('userProperties').setProperty('heroku.smokeUrl', sim.apiUrl() + '/web/{app}/health')
return true
