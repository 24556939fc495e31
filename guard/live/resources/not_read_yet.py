"""Types guard does not read live yet, and why (docs/resource-types.md lists them)."""

# Types people ask for that guard does not read live yet, and why: each needs a call the
# emulator guard is proven on (moto) does not answer, and a type that cannot be swept there
# would either miss edits silently or leave every emulated scan incomplete.
NOT_READ_YET = {
    "aws_wafv2_web_acl_association": "moto has no ListResourcesForWebACL, the one call that lists"
    " what a web ACL protects. check-plan's GUARD-WAF-001 blocks a plan that deletes one.",
    "aws_elasticache_parameter_group": "moto has no DescribeCacheParameterGroups.",
    "aws_db_option_group": "moto's DescribeOptionGroups fails unless one group is named (a"
    " server error listing them all, OptionGroupNotFound when there are none).",
    "aws_lambda_function_url": "moto has no ListFunctionUrlConfigs, the call that lists a"
    " function's URLs and their aliases.",
}
