import io.github.herokupipeline.simulator.ItSupport
import io.github.herokupipeline.testing.RecordingProxy

ItSupport.start(context, basedir)
def proxy = RecordingProxy.withCredentials('ci', 'proxy-secret')
context.put('proxy', proxy)
new File(basedir, 'proxy-settings.xml').text = """<settings>
  <proxies>
    <proxy>
      <id>test-proxy</id>
      <active>true</active>
      <protocol>http</protocol>
      <host>127.0.0.1</host>
      <port>${proxy.port()}</port>
      <username>ci</username>
      <password>proxy-secret</password>
    </proxy>
  </proxies>
</settings>
"""
return true
