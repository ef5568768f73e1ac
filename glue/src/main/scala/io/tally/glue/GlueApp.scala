package io.tally.glue

/** Glue starts a job from a Scala object; this one hands the job's arguments to the Java job. */
object GlueApp {
  def main(args: Array[String]): Unit = ReconcileJob.main(args)
}
