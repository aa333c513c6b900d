import io.github.herokupipeline.simulator.ItSupport
import java.nio.charset.StandardCharsets

def sim = ItSupport.start(context, basedir)
// a developer logged in with `heroku login`: the key in ~/.netrc, for the real API host and for the simulator's
def home = new File(basedir, 'home')
home.mkdirs()
new File(home, '.netrc').setText("machine api.heroku.com\n  login dev@example.com\n  password ${ItSupport.SETTINGS_KEY}\n"
        + "machine 127.0.0.1\n  login dev@example.com\n  password ${ItSupport.SETTINGS_KEY}\n", 'UTF-8')
context.get('userProperties').setProperty('user.home', home.path)
// work in progress: a tracked file edited and not committed
def app = new File(basedir, 'src/main/java/demo/App.java')
app.setText(app.getText('UTF-8') + '// work in progress\n', 'UTF-8')
return true
