# newswire on the official Airflow image, for docker-compose.yml (Celery executor).
# The Airflow version is the one pyproject.toml pins; keep the two in step.
ARG AIRFLOW_VERSION=3.3.2
FROM apache/airflow:${AIRFLOW_VERSION}

# The project as a distribution, installed with the image's pip as the `airflow` user; pinning
# apache-airflow keeps pip from up- or downgrading the Airflow the image ships.
COPY --chown=airflow:0 pyproject.toml README.md /opt/newswire/
COPY --chown=airflow:0 pipeline /opt/newswire/pipeline
COPY --chown=airflow:0 devtools /opt/newswire/devtools
COPY --chown=airflow:0 sql /opt/newswire/sql
RUN pip install --no-cache-dir "apache-airflow==${AIRFLOW_VERSION}" /opt/newswire

# The DAG files are baked in too, so workers on other machines run the same code; compose
# mounts ./dags over them for local edits.
COPY --chown=airflow:0 dags /opt/airflow/dags
