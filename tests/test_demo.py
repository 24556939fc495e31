import io

from rich.console import Console

from guard.demo import run_demo


def test_demo_catches_the_deleted_https_rule(tmp_path):
    buffer = io.StringIO()
    assert run_demo(Console(file=buffer, width=200), str(tmp_path)) == 0
    text = buffer.getvalue()
    assert "module.edge.aws_security_group.lb: ingress tcp/443 from 0.0.0.0/0 was deleted" in text
    assert "aws ec2 authorize-security-group-ingress" in text
    assert "terraform apply -target=module.edge.aws_security_group.lb" in text
    assert "1 finding (1 deleted)" in text
    assert "DELETED  critical" in text
    # What it breaks: the load balancer, its HTTPS listener and the name that points at it,
    # not the port-80 listener the deleted rule never covered.
    assert "internet-facing load balancer prod-web" in text
    assert "prod-web listens on HTTPS 443" in text
    assert "HTTP 80" not in text
    assert "api.example.com points to load balancer prod-web" in text
    assert (tmp_path / "terraform.tfstate").exists()


def test_demo_command_exits_zero(guard, tmp_path):
    result = guard("demo", "--workdir", tmp_path)
    assert result.code == 0, result.err
