import io.github.herokupipeline.simulator.ItSupport

def sim = context.get('sim')
try {
    def log = ItSupport.buildLog(basedir)
    assert log.contains('BUILD SUCCESS')
    assert log.contains("Using the Heroku API key from the <server> 'heroku-sentinel' in settings.xml")
    assert !log.contains('sentinel-key-5d1e8f0a9b') : 'the API key leaked into build.log'
    assert !new File(basedir, 'target/heroku-pipeline/promote-foo-prepare.json').text.contains('sentinel')
    assert !new File(basedir, 'target/heroku-pipeline/prepare-foo-prepare.json').text.contains('sentinel')
} finally {
    sim.close()
}
return true
