import io.github.herokupipeline.simulator.ItSupport
import io.github.herokupipeline.testing.TestRepo

def sim = ItSupport.start(context, basedir)
// a clone per push, made when that commit was pushed: it holds that commit and the ones before, nothing later
def clones = []
def previous = basedir
(1..3).each { n ->
    def clone = new File(basedir.parentFile, basedir.name + "-c${n}")
    TestRepo.open(basedir.parentFile.toPath()).git('clone', '-q', previous.absolutePath, clone.absolutePath)
    TestRepo.open(clone.toPath()).write("CHANGE-${n}.md", "change ${n}\n").commitAll("Change ${n}")
    clones << clone
    previous = clone
}
def sha = { File dir -> ['git', 'rev-parse', 'HEAD'].execute(null, dir).text.trim() }
context.put('commits', [sha(basedir)] + clones.collect { sha(it) })
// the runs of c2 and c3 finish first, then the slower run of c1 (its clone lacks c2 and c3)
[clones[1], clones[2], clones[0]].each { ItSupport.deployFrom(sim, it, 'foo-staging') }
return true
