# tflint with its bundled terraform ruleset (the AWS ruleset cannot be built
# here: the Go module proxy refuses it). "all" enables every rule, including
# naming, documentation and typing conventions, for the root module, every
# submodule and every example (tflint --recursive).
config {
  call_module_type = "local"
}

plugin "terraform" {
  enabled = true
  preset  = "all"
}

# The root module composes submodules and uses no aws resource itself, but it
# declares the provider requirement so users (and the generated README) see
# the supported versions in the module they call.
rule "terraform_unused_required_providers" {
  enabled = false
}
